/**
 * Manifests: carriers' passenger lists (API/PAXLST interchanges, ferry CSV lists) received before
 * departure, each Indonesian passenger pre-screened as the `manifest` kind, and the checkpoint's
 * expected-departures list built from them. Other components use only what is exported here.
 */
export { carrierFeedScope, manifestRoutes } from './routes';
export { registerManifestJobs } from './screen';
export { linkDepartureCheckAudited, prescreenOfApplication } from './queries';
export { manifestApi } from './openapi';

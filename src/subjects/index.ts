/**
 * The subject-of-interest list: people an office has barred from re-applying for a period, kept by
 * supervisors and admins (CRUD, from a postponement, CSV import; revoked never deleted; audited),
 * and matched into the screening context while a bar covers an application's receipt.
 */
export { subjectApi } from './openapi';
export { subjectRoutes } from './routes';
export { subjectOfInterestLookup, subjectOfInterestQuery, type SubjectRow } from './matching';
export { subjectsOfInterest, type SubjectEntryRow } from './schema';

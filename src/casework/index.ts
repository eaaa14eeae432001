/** Casework: notes and evidence attachments on review cases. */
export { caseworkRoutes, isAttachmentUpload } from './routes';
export { createAttachmentStore, type AttachmentStore } from './storage';
export { caseworkApi } from './openapi';

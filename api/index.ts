export { createApp, API_PREFIX } from './app.ts';
export { fieldErrors } from './errors.ts';

export { API_PREFIX, createApp } from './app.ts';
export { fieldErrors } from './errors.ts';
export { closeLiveStreams } from './live-hub.ts';

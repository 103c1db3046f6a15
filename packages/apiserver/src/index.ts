// @tinykube/apiserver: the only public door of this package.
export { createApiServer, type ApiServer, type ApiServerOptions } from './server.js';
export { ApiError, isApiError, type Status, type StatusCause, type StatusReason } from '@tinykube/api';
export { parseResourcePath, type ResourcePath } from './routes/path.js';
export { VERSION_INFO } from './routes/discovery.js';

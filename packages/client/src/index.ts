// @tinykube/client — the client library every component uses: kubeconfig, REST, watch, informers,
// work queue, the controller worker loop and leader election. This file is the package's only public door.

export { keyOf, splitKey, resourceVersionOf, apiVersionOf } from './types.js';
export type { ObjectLike, ObjectMetaLike, ObjectList, ResourceRef, WatchEvent, WatchEventType } from './types.js';

export { realClock, sleep, formatMicroTime, parseKubeTime, type Clock } from './clock.js';

export { RequestTimeoutError } from './errors.js';
// Re-exported for the client's public API; the one definition is @tinykube/api's.
export {
  ApiError,
  StatusSchema,
  isStatus,
  isApiError,
  isNotFound,
  isConflict,
  isAlreadyExists,
  isGone,
  isExpired,
  isInvalid,
  isForbidden,
  isUnauthorized,
  isTooManyRequests,
  hasStatusCause,
  type Status,
  type StatusCause,
  type StatusDetails,
} from '@tinykube/api';

export {
  loadKubeconfig,
  parseKubeconfig,
  kubeconfigPaths,
  buildKubeconfig,
  writeKubeconfig,
  KubeconfigError,
  KubeconfigSchema,
  type Kubeconfig,
  type KubeconfigErrorCode,
  type LoadKubeconfigOptions,
  type ResolvedKubeconfig,
  type WriteKubeconfigOptions,
} from './kubeconfig.js';

export { RestClient } from './rest.js';
export {
  patchContentTypes,
  type RestClientOptions,
  type TlsOptions,
  type RequestOptions,
  type PatchType,
  type ObjectOptions,
  type GetOptions,
  type WriteOptions,
  type PatchOptions,
  type DeleteOptions,
  type DeleteCollectionOptions,
  type LogOptions,
} from './rest-options.js';
export { resourcePath, selectorString, type ListOptions, type Selector } from './rest-url.js';

export { decodeWatch, WatchDecodeError, type WatchOptions } from './watch.js';
export { LineSplitter } from './ndjson.js';

export { Store, deepFreeze, type Lister } from './store.js';
export { IndexerError, type IndexFunc } from './indexer.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { listWatch, runReflector, type ListerWatcher, type ListWatchOptions, type ReflectorSink } from './reflector.js';
export { Informer, informerFor, type EventHandlers, type InformerOptions } from './informer.js';

export {
  ItemExponentialRateLimiter,
  BucketRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
  type ControllerRateLimiterOptions,
} from './rate-limiter.js';
export { WorkQueue, QueueShutDownError, type WorkQueueOptions } from './workqueue.js';
export { startHealthServer, healthCheck, type HealthCheck, type HealthServer, type HealthServerOptions } from './health-server.js';
export { Controller, type ControllerOptions, type ControllerMetricsHooks, type ReconcileResult } from './controller.js';

export { LeaderElector, leasesResource, type LeaderElectionOptions } from './leader-election.js';

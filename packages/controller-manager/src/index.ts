// tinykube-controller-manager: the only public door of this package.
export { ControllerManager, CONTROLLERS, enabledControllers, type ManagerDeps } from './manager.js';
export type { Controller, ControllerContext, ManagerOptions } from './runtime/controller.js';
export { parseFlags, type Flags } from './flags.js';
export type { Actions, Lister, EventRecorder, SyncResult, DeleteOptions, CollectionTarget } from './core/ports.js';
export { podTemplateHash } from './controllers/deployment/hash.js';

export { Supervised, type ComponentSpec } from './supervisor.js';
export { controlPlaneComponents, type ControlPlaneOptions } from './control-plane.js';
export { waitReady } from './ready.js';

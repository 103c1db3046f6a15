/** A volume could not be set up: the pod's containers stay waiting `ContainerCreating` ("MountVolume.SetUp failed: ..."). */
export class VolumeError extends Error {
  override readonly name = 'VolumeError';
  readonly reason = 'FailedMount';
}

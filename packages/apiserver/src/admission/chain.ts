/** The admission chain: plugins in order (read at each write, so it can be filled after the storage is made); the first that refuses ends the write. */
import { requestScope } from '../auth/pipeline.js';
import type { Admit, AdmissionPlugin } from './types.js';

export function admissionChain(plugins: AdmissionPlugin[]): Admit {
  return async (req) => {
    // Writes the apiserver makes itself (bootstrap, namespace cleanup) are not a request: nothing to admit.
    const scope = requestScope.getStore();
    if (!scope) return;
    for (const p of plugins) await p.admit({ ...req, user: scope.user });
  };
}

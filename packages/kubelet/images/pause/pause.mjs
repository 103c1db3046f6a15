#!/usr/bin/env node
// registry.k8s.io/pause for tinykube: sleeps until SIGTERM/SIGINT, then exits 0 (as the real pause does).
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);

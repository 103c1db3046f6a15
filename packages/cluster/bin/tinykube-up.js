#!/usr/bin/env node
// The installed command: exists before the build, so `npm ci` links it; runs the built program (dist/main.js).
import '../dist/main.js';

#!/usr/bin/env node
// Committed entry point, so `npm install` links `toska-store` before the first build; the command itself is
// the built CLI (`npm run build` first).
import '../dist/cli/main.js';

#!/usr/bin/env node
// The `sluice` command. It runs the TypeScript sources through tsx, so the CLI works straight
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src-main/hosts/cli/bin.ts')

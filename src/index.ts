// getaddrinfo runs on libuv's thread pool; the probe keeps its own lookups below half of it (adapters/dns.ts).
// Effective only if nothing used the pool yet: set UV_THREADPOOL_SIZE=16 as an app setting to be sure.
process.env['UV_THREADPOOL_SIZE'] ??= '16';
import { app } from '@azure/functions';
import { createRuntime } from './functions/runtime';
import { registerHttp } from './functions/probe-http';
import { registerTimer } from './functions/probe-timer';

app.setup({ enableHttpStream: false });

// One runtime for both triggers: settings are parsed once and one telemetry client serves the process.
const runtime = createRuntime(process.env);
registerTimer(process.env, runtime);
registerHttp(process.env, runtime);

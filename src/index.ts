import { app } from '@azure/functions';
import { createRuntime } from './functions/runtime';
import { registerHttp } from './functions/probe-http';
import { registerTimer } from './functions/probe-timer';

app.setup({ enableHttpStream: false });

// One runtime for both triggers: settings are parsed once and one telemetry client serves the process.
const runtime = createRuntime(process.env);
registerTimer(process.env, runtime);
registerHttp(process.env, runtime);

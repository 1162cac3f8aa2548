// Preloaded into the service (`NODE_OPTIONS=--require`, where --cpu-prof is not allowed) by test/bench/profile.ts:
// samples the whole process with the V8 profiler and writes CPU_PROFILE_FILE when it exits.
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
process.on('exit', () => {
  // The in-process inspector session answers synchronously, so this completes inside the exit handler.
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(process.env.CPU_PROFILE_FILE, JSON.stringify(result.profile));
  });
});

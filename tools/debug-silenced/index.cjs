// Stand-in for the `debug` package in MOVO-X's browser build (vite.config.ts alias). fhirclient logs through
// `debug`, and with `localStorage.debug = "FHIR.*"` it prints whole token responses to the console: a
// production build must never be able to do that. It also keeps the launch page inside its 20 KB budget.
function createDebug() {
  const log = () => undefined;
  log.enabled = false;
  log.extend = createDebug;
  return log;
}
createDebug.enable = () => undefined;
createDebug.disable = () => '';
createDebug.enabled = () => false;
module.exports = createDebug;

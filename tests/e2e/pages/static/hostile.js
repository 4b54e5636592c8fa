// The hostile pages' own script: proves page scripts run (so an injected handler would too).
'use strict';
window.__sdPageScript = true;

/**
 * A worker an app bundles itself, as `config.createWorker` expects: it imports rxjs-caller's worker entry
 * and its task modules, registered by name, so the bundler (not a URL at run time) finds them.
 */
import { registerTaskModule } from '../../schedulers/worker.js';
import * as tasks from './tasks.js';

registerTaskModule('browser-tasks', tasks);

// The app's own worker: rxjs-caller's worker entry plus the app's task modules, registered by name.
// config.createWorker (main.ts) starts it; a bundler builds it as an entry of its own.
import { registerTaskModule } from 'rxjs-caller/worker';
import * as searchTasks from './search.tasks';

registerTaskModule('search-tasks', searchTasks);

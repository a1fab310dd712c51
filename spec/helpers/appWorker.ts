/** A worker an app bundles itself (Node flavour, run through tsx): rxjs-caller's worker entry plus its task modules, registered by name. */
import { registerTaskModule } from '../../schedulers/worker';
import * as tasks from './tasks';

registerTaskModule('app-tasks', tasks);

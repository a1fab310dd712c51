// The full path: the schedulers entry brings the whole thread layer, so even an inline task runs.
import { Caller } from 'rxjs-caller/schedulers';

new Caller().toThread((a, b) => a + b, 40, 2).then((total) => console.log(total));

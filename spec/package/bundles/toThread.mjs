import { Caller, threadTask } from 'rxjs-caller';

const sum = threadTask(new URL('./tasks.js', import.meta.url), 'sum');
new Caller().toThread(sum, 40, 2).then((total) => console.log(total));

import { Caller, ThreadCaller } from 'rxjs-caller';

const thread = Caller.current().get({ name: 'worker', thread: true });
console.log(thread instanceof ThreadCaller);

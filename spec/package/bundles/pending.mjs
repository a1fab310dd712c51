import { Pending } from 'rxjs-caller';

const pending = new Pending();
pending.subscribe((value) => console.log(value));
pending.setResult(1);

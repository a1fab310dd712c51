import { from } from 'rxjs';
import { Pending } from 'rxjs-caller';
import { asCompleted, gather, wait } from 'rxjs-caller/operators';

const pending = new Pending();
from([pending, Promise.resolve(2)]).pipe(gather()).subscribe((values) => console.log(values));
from([pending]).pipe(asCompleted()).subscribe((done) => console.log(done.state));
from([pending]).pipe(wait({ timeout: 10 })).subscribe((result) => console.log(result.done.size));
pending.setResult(1);

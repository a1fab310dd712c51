import { observeOn, of } from 'rxjs';
import { Caller } from 'rxjs-caller';

of(1, 2, 3).pipe(observeOn(new Caller())).subscribe((value) => console.log(value));

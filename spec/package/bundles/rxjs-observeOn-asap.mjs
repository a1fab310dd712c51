import { asapScheduler, observeOn, of } from 'rxjs';

of(1, 2, 3).pipe(observeOn(asapScheduler)).subscribe((value) => console.log(value));

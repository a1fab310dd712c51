import { from, Observable } from 'rxjs';

new Observable((subscriber) => {
  subscriber.next(1);
  subscriber.complete();
}).subscribe((value) => console.log(value));
from(Promise.resolve(2)).subscribe((value) => console.log(value));

import { Observable } from 'rxjs';

new Observable((subscriber) => {
  subscriber.next(1);
  subscriber.complete();
}).subscribe((value) => console.log(value));

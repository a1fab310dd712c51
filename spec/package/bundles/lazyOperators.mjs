// Loads the operators only when needed, by a dynamic import(): a bundler splits them into a lazy chunk, and
// what both need (RxJS's Observable) into a chunk the entry imports. Checks that the measure tells the two apart.
import { Observable } from 'rxjs';

new Observable((subscriber) => subscriber.next(1)).subscribe((value) => {
  import('rxjs-caller/operators').then(({ gather }) => console.log(value, typeof gather));
});

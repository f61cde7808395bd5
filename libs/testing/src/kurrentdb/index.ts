export { startKurrentDbDouble, type KurrentDbDouble } from './kurrentdb-double';

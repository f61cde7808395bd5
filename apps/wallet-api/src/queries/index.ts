import type { Provider, Type } from '@nestjs/common';

/** Controllers of the GET routes (read side). */
export const queryControllers: Type[] = [];

/** Query handlers and the services they share. */
export const queryProviders: Provider[] = [];

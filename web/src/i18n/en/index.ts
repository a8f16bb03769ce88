import auth from './auth';
import catalogue from './catalogue';
import common from './common';
import dashboard from './dashboard';
import errors from './errors';
import history from './history';
import inventory from './inventory';
import printers from './printers';
import settings from './settings';
import setup from './setup';

export const en = { common, auth, setup, dashboard, printers, history, inventory, catalogue, settings, errors };
export type Messages = typeof en;

/** The same tree with every leaf a string (or plural forms): what each other language must provide. */
export type MessagesShape<T = Messages> = {
  [K in keyof T]: T[K] extends string
    ? string
    : T[K] extends { other: string }
      ? { one: string; other: string; zero?: string }
      : MessagesShape<T[K]>;
};

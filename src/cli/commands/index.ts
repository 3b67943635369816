/** Every command module, in the order `--help` lists them. */
import type { RegisterCommand } from '../context.ts';
import { register as search } from './search.ts';
import { register as list } from './list.ts';
import { register as info } from './info.ts';
import { register as install } from './install.ts';
import { register as outdated } from './outdated.ts';
import { register as update } from './update.ts';
import { register as publish } from './publish.ts';
import { register as version } from './version.ts';
import { register as serve } from './serve.ts';
import { register as admin } from './admin.ts';
import { register as demo } from './demo.ts';

export const COMMANDS: RegisterCommand[] = [search, list, info, install, outdated, update, publish, version, serve, admin, demo];

// The home a command works in: --home, else CONVLAB_HOME, else the platform's data folder, where
// an older home (the app's former userData, the CLI's former default) is moved once, as the
// desktop app does it (src/main/services/homeMigration.ts). What happened is said on stderr.
import { openHome } from '../main/services/homeMigration';

export async function commandHome(flag: string | undefined): Promise<string> {
  const opened = await openHome({ home: flag });
  for (const note of opened.notes) console.error(`note: ${note}`);
  return opened.home;
}

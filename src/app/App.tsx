import type { SessionStart } from '../session/ready.ts';
import { AppProviders } from './providers.tsx';
import { LaunchFailedPage, NoLaunchPage } from './pages.tsx';
import { Shell } from './Shell.tsx';

export function App({ start }: { start: SessionStart }) {
  switch (start.state) {
    case 'no-launch':
      return <NoLaunchPage />;
    case 'failed':
      return <LaunchFailedPage message={start.message} />;
    case 'ready':
      return (
        <AppProviders session={start.session}>
          <Shell />
        </AppProviders>
      );
  }
}

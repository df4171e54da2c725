export { LaunchHeader } from './components/LaunchHeader.tsx';

export { LaunchHeader } from './components/LaunchHeader.tsx';
export { useClinicianName } from './api/useClinicianName.ts';

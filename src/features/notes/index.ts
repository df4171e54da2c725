/** Public API of the notes feature (src/app composes it; nothing else reaches inside). */
export { NotesPanel, type NotesPanelProps } from './components/NotesPanel.tsx';
export type { NoteSnippet } from './components/NoteEditor.tsx';
export { noteKeys } from './api/noteKeys.ts';

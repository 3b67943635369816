import type { RegisterCommand } from '../context.ts';

// Placeholder until this command's issue lands.
export const register: RegisterCommand = () => {};

// Exit codes of the training commands (besides 0 and 1 = error).
/** Stopped by Ctrl-C (128 + SIGINT, as shells report it); the run can be resumed. */
export const EXIT_INTERRUPTED = 130;

export { execRunner, IpCommandError, ip, EXISTS, NOT_THERE, type CommandResult, type CommandRunner } from './ip-command.js';

using Pacer.Cli;

return await PacerCli.InvokeAsync(args, CliIo.FromConsole(), handleSignals: true, CancellationToken.None).ConfigureAwait(false);

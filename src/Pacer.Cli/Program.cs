using System.CommandLine;
using Pacer.Cli.Demo;

var root = new RootCommand("pacer: runs large amounts of work against rate-limited services as fast as their limits allow, and no faster.")
{
    DemoCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

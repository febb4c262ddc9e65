using Spectre.Console;

namespace Pacer.Cli.Progress;

/// <summary>A live table on the terminal, redrawn four times a second.</summary>
internal sealed class LiveProgressView(PacerEngine engine, Batch<int> batch) : ProgressView(engine, batch)
{
    public override async Task<T> RunUntilAsync<T>(Task<T> work, CancellationToken cancellationToken)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Live(BuildTable(Engine.GetSnapshot(), Batch.GetSnapshot())).StartAsync(async context =>
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(250), Engine.TimeProvider, cancellationToken)).ConfigureAwait(false);
                context.UpdateTarget(BuildTable(Engine.GetSnapshot(), Batch.GetSnapshot()));
            }
        }).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }
}

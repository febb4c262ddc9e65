using Microsoft.Extensions.Time.Testing;
using System.Runtime.CompilerServices;

namespace Pacer.Tests.Sharing;

/// <summary>
/// Engines sharing a lane on fake time: the engines and the store read one clock, time moves a
/// millisecond at a time, and the engines' refills run on the test's thread between its steps.
/// </summary>
internal static class SharedLaneHarness
{
    /// <summary>
    /// Moves time a millisecond at a time until <paramref name="done"/>. The engines' refills run on
    /// this thread, each before time moves on, so nothing races the fake clock.
    /// </summary>
    public static Task RunUntilAsync(FakeTimeProvider time, Func<bool> done, params PacerEngine[] engines)
    {
        InlineContinuations.Enable(); // a refill waiting on the clock goes on inside Advance, on this thread
        for (int step = 0; step < 20_000; step++)
        {
            RunRefills(engines);
            if (done())
            {
                return Task.CompletedTask;
            }

            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Fail("not done within 20 s of fake time: " + string.Join("; ", engines.Select(e => e.GetLaneSnapshot("api")).Select(l => $"{l.Queued} queued, {l.Running} running, {l.SharedStateProblem}")));
        return Task.CompletedTask;
    }

    /// <summary>The lane changes <paramref name="engine"/> raises from now on, in order; lock the list to read it.</summary>
    public static List<LaneChange> RecordChanges(PacerEngine engine)
    {
        var changes = new List<LaneChange>();
        engine.LaneChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e.Change);
            }
        };
        return changes;
    }

    private static readonly ConditionalWeakTable<PacerEngine, Queue<Action>> s_refills = [];

    /// <summary>A store past its first 1.05 s (and a start's interval), when a lane with no state still counts as spent.</summary>
    public static InProcessLaneState NewState(FakeTimeProvider time)
    {
        var state = new InProcessLaneState(time);
        time.Advance(TimeSpan.FromSeconds(1.2));
        return state;
    }

    /// <summary>An engine on <paramref name="time"/> with one lane, "api"; its refills wait for <see cref="RunRefills"/>.</summary>
    public static PacerEngine Engine(TimeProvider time, LaneOptions lane)
    {
        var engine = new PacerEngine(new PacerOptions { TimeProvider = time });
        Queue<Action> refills = s_refills.GetOrCreateValue(engine);
        engine.RefillScheduler = refill =>
        {
            lock (refills)
            {
                refills.Enqueue(refill);
            }
        };
        engine.AddLane("api", lane);
        return engine;
    }

    /// <summary>Runs the engines' waiting refills on this thread, until none is left.</summary>
    public static void RunRefills(PacerEngine[] engines)
    {
        bool ran = true;
        while (ran)
        {
            ran = false;
            foreach (PacerEngine engine in engines)
            {
                Queue<Action> refills = s_refills.GetOrCreateValue(engine);
                Action? refill;
                lock (refills)
                {
                    refills.TryDequeue(out refill);
                }

                if (refill is not null)
                {
                    refill();
                    ran = true;
                }
            }
        }
    }
}

using System.Threading.Channels;
using Pacer.Server.Events;

namespace Pacer.Server.Tests;

/// <summary>The event feed keeps the latest events for resuming, and drops a subscriber that falls behind instead of waiting for it.</summary>
public sealed class EventFeedTests
{
    [Fact]
    public async Task ASubscriberThatReadsNothing_IsDropped_AndPublishingNeverWaits()
    {
        var feed = new EventFeed();
        ChannelReader<ServerEvent> slow = feed.Subscribe(lastEventId: null);
        ChannelReader<ServerEvent> fast = feed.Subscribe(lastEventId: null);
        int read = 0;
        for (int i = 0; i < EventFeed.QueueLength + EventFeed.Kept + 10; i++)
        {
            feed.Publish("job", new { index = i });
            while (fast.TryRead(out _))
            {
                read++;
            }
        }

        // The slow one's stream ends after what it holds; the fast one saw every event and stays.
        int held = 0;
        await foreach (ServerEvent _ in slow.ReadAllAsync())
        {
            held++;
        }

        Assert.Equal(EventFeed.QueueLength + EventFeed.Kept, held);
        Assert.Equal(EventFeed.QueueLength + EventFeed.Kept + 10, read);
        Assert.Equal(1, feed.Subscribers);
    }

    [Fact]
    public void Resuming_GetsTheEventsAfterTheLastOneSeen_OrAResetWhenTheyAreNoLongerKept()
    {
        var feed = new EventFeed();
        for (int i = 1; i <= EventFeed.Kept + 5; i++)
        {
            feed.Publish("job", new { index = i });
        }

        ChannelReader<ServerEvent> recent = feed.Subscribe(lastEventId: EventFeed.Kept);
        Assert.True(recent.TryRead(out ServerEvent? first));
        Assert.Equal(EventFeed.Kept + 1, first.Id);

        ChannelReader<ServerEvent> old = feed.Subscribe(lastEventId: 2);
        Assert.True(old.TryRead(out ServerEvent? reset));
        Assert.Equal("reset", reset.Type);
        Assert.True(old.TryRead(out ServerEvent? oldest));
        Assert.Equal(6, oldest.Id);
    }
}

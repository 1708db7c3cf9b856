"""Knowledge graphs from Chinese policy and news text."""

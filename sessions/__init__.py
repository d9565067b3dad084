"""The programme: conferences, tracks, rooms, speakers and seminars."""

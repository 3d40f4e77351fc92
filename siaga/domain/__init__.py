"""Plain domain types shared by every part of Siaga; imports nothing but the standard library."""

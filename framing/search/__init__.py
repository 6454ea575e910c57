"""What Pagefind reads of each page, how the index is laid out, and Pagefind's service."""

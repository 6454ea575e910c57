"""What is reused from one build to the next, and the decision whether a page is current."""

"""States of the annotation-queue pages: the queues list, a queue's items (admin view), the
review page, and the "Add to queue" dialog of the Logs pages."""

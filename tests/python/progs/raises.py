"""A program that dies of an uncaught exception."""


def divide(a, b):
    return a / b


divide(1, 0)
